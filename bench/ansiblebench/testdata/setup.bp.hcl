role "setup" {
  package "python3" {}
  directory "/srv/bench" {
    state     = "absent"
    recursive = true
  }
  directory "/etc/bench" {}
  file "/etc/bench/lines-00.conf" {
    content = "# lines managed by the benchmark\n"
    mode    = "0644"
  }
  file "/etc/bench/lines-01.conf" {
    content = "# lines managed by the benchmark\n"
    mode    = "0644"
  }
  file "/etc/systemd/system/bench-svc-00.service" {
    content = "[Unit]\nDescription=benchmark service 00\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n"
  }
  service "bench-svc-00" {
    state   = "running"
    enabled = true
  }
}
