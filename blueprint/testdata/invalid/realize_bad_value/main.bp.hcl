resource "load_balancer" "front" {
  realize = "self-hosted" # ERROR: Invalid realize argument
}
