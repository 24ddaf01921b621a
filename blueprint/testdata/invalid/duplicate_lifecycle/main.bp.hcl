resource "machine" "web" {
  lifecycle {
    prevent_destroy = true
  }
  lifecycle { # ERROR: Duplicate lifecycle block
    create_before_destroy = true
  }
}
