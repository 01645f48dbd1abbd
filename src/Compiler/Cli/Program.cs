// Entry point of the policyc command; the commands live in Commands/.
return Policyc.Cli.PolicycCommand.Run(args);
