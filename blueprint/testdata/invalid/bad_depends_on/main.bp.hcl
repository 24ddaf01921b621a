resource "machine" "db" {}
resource "machine" "cache" {
  depends_on = ["machine.db"] # ERROR: Invalid depends_on reference
}
resource "machine" "queue" {
  depends_on = resource.machine.db # ERROR: Invalid depends_on
}
