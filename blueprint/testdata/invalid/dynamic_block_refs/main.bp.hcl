variable "ports" {
  default = [80, 443]
}
resource "load_balancer" "front" {
  dynamic "listener" {
    for_each = var.port # ERROR: Reference to undeclared input variable
    content {
      port        = listener.value
      target_port = local.offset + listener.value # ERROR: Reference to undeclared local value
      name        = port.key # ERROR: Reference to undeclared resource
    }
  }
}
