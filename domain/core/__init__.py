"""Companies, currencies, units of measure, sequences, the Unit of Work, events and the outbox."""
