"""`python -m orderflow.services.payment`: run this service alone, until SIGTERM."""

from orderflow.services.entry import main
from orderflow.services.payment.bootstrap import run

main(run)
