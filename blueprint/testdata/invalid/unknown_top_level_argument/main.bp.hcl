image = "debian-12" # ERROR: Unsupported argument
