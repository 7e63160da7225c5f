"""`python -m orderflow.services.inventory`: run this service alone, until SIGTERM."""

from orderflow.services.entry import main
from orderflow.services.inventory.bootstrap import run

main(run)
