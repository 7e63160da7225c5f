"""`python -m orderflow.services.order`: run this service alone, until SIGTERM."""

from orderflow.services.entry import main
from orderflow.services.order.bootstrap import run

main(run)
