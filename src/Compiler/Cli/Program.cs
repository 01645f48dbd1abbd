// Entry point of the policyc command; the commands live beside this file.
return Policyc.Cli.PolicycCommand.Run(args);
