data "local_image" "base" {
  lifecycle { # ERROR: Unsupported lifecycle block
    prevent_destroy = true
  }
}
