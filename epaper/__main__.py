from epaper.warm import run

run()
