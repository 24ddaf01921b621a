resource "machine" "web" {
  image = data.local_image.base.id # ERROR: Reference to undeclared data source
}
