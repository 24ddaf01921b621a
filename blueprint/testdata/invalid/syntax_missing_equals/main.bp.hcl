resource "machine" "web" {
  image "debian-12" # ERROR: Invalid block definition
}
