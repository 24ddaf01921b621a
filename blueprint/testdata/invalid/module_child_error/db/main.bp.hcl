resource "machine" "db" {
  count = var.db_count # ERROR: Reference to undeclared input variable
}
