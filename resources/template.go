package resources

func init() {
	register(KindSpec{
		Name: "template",
		Description: "A file rendered by bp from an HCL template (templatefile syntax, with vars and host); " +
			"the agent receives the rendered text as content.",
		NameAttribute: "path",
		Attributes: append([]AttrSpec{
			{Name: "path", Type: TypeString, Description: "Absolute path of the file; defaults to the block label."},
			{Name: "source", Type: TypeString, Description: "Template file next to the blueprint, such as \"templates/site.conf.tpl\"."},
			{Name: "content", Type: TypeString, Description: "Inline template text; on the wire, the rendered content."},
			{Name: "vars", Type: TypeAny, Description: "Variables for the template, besides host (bp only)."},
			{Name: "state", Type: TypeString, Description: "\"present\" (default) or \"absent\"."},
		}, ownershipAttrs("file")...),
	}, func(a *attrs) Resource { return decodeFile(a, "template") })
}
