resource "machine" "web" {
  name = self.address # ERROR: Invalid "self" reference
  connection {
    host = self.address
  }
}
