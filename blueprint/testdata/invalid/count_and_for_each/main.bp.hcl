resource "machine" "web" {
  count    = 2
  for_each = toset(["a", "b"]) # ERROR: Invalid combination of "count" and "for_each"
}
