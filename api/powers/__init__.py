"""Power and entrustment lists over HTTP: read by the county and the township, kept by the county bureau."""
