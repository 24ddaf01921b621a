resource "machine" "web" {
  name = "web-${count.index}" # ERROR: Reference to "count" in non-counted context
}
