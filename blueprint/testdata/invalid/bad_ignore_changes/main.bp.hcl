resource "machine" "web" {
  lifecycle {
    ignore_changes = ["labels"] # ERROR: Invalid ignore_changes
  }
}
resource "machine" "db" {
  lifecycle {
    ignore_changes = labels # ERROR: Invalid ignore_changes
  }
}
