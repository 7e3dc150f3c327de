from cnpe_flow.cli import run

run()
