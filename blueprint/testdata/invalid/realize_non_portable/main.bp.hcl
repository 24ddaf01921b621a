resource "local_file" "motd" {
  realize = "selfhosted" # ERROR: Invalid realize argument
}
