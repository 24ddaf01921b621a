resource "machine" "web" {
  name = host.name # ERROR: Invalid "host" reference
}
