resourse "machine" "web" { # ERROR: Unsupported block type
  image = "debian-12"
}
