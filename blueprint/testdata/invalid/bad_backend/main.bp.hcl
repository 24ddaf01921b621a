blueprint {
  backend "postgress" { # ERROR: Unknown backend type
    conn = "postgres://localhost/bp"
  }
}
