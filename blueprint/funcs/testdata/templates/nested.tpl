x ${templatefile("funcs.tpl", {})}
