locals {
  site = "shop.example.test # ERROR: Invalid multi-line string ERROR: Unterminated template string
} # ERROR: Invalid multi-line string
