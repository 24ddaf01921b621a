output "url" {
  value     = "http://example.test/"
  sensitve  = true # ERROR: Unsupported argument
}
