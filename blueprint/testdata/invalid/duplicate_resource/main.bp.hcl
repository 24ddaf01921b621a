resource "machine" "web" {}
resource "machine" "web" {} # ERROR: Duplicate resource
