web_count = 3
site      = "${var.web_count}.example.test" # ERROR: Variables not allowed
