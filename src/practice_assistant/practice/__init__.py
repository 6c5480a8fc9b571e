"""Questions about the practice itself (fees, insurance, booking): its facts and their routing."""
