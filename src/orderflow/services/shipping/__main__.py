"""`python -m orderflow.services.shipping`: run this service alone, until SIGTERM."""

from orderflow.services.entry import main
from orderflow.services.shipping.bootstrap import run

main(run)
