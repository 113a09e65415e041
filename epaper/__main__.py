from epaper.warm import run

if __name__ == "__main__":  # (not when a spawned worker imports this module as its __main__)
    run()
