#!/bin/sh
# Rebuilds CGATS-TR002-newsprint-240.icc, epaper's default CMYK output profile, from data that Debian
# ships: the CGATS/SNAP TR 002 characterisation of coldset newsprint (icc-profiles-free, zlib
# licence; "profiles based on these data may be distributed with no further permissions from CGATS",
# TR 002 to be named as the source) profiled with ArgyllCMS's colprof. Not run by the build or the
# tests: the profile is committed. Needs: apt-get install argyll icc-profiles-free (about 8 min).
#   -qm      medium quality: A2B 9^4, B2A 17^3 grid points (-ql gives a coarse 9^3 B2A)
#   -l240    total area coverage limit of newsprint (ISO 12647-3), built into the B2A tables
#   -L95     black ink limit
#   -kr      black generation: a linear K ramp from white to black
#   -S       perceptual and saturation tables gamut-mapped from sRGB (what photos arrive in)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp /usr/share/color/icc/TR002.ti3 "$work/tr002.ti3"
colprof -qm -nc -l240 -L95 -kr -S /usr/share/color/icc/sRGB.icc -cmt -dpp \
  -D "CGATS TR 002 coldset newsprint, TAC 240% (epaper)" \
  -C "Profile by epaper, zlib licence. Characterisation data: ANSI CGATS/SNAP TR 002-2007" \
  "$work/tr002"
cp "$work/tr002.icc" "$here/CGATS-TR002-newsprint-240.icc"
