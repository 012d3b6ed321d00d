"""Work done without anyone clicking: sale orders reaching a trigger status are created in
Starshipit (CartonCloud webhook + polling), and tracking for labels printed in the Starshipit app
is written back to CartonCloud (Starshipit webhook + polling). Run by ``labelbridge worker``."""
