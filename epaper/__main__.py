from epaper.cli import run

run()
