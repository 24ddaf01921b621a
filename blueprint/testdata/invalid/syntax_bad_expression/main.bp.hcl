locals {
  n = 1 + # ERROR: Invalid expression
}
