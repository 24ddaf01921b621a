resource "machine" "web" { # ERROR: Unclosed configuration block
  image = "debian-12"
