resource "machine" "web" {
  image = "debian-12"
  lifecycle {
    prevent_destroi = true # ERROR: Unsupported argument
  }
}
