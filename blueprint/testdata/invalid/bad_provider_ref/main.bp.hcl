resource "machine" "web" {
  provider = "local" # ERROR: Invalid provider reference
}
