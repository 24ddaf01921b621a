${upper(name)} ${jsonencode(tags)} ${cidrhost(net, 5)} ${length(tags)}
