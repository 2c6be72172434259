import DaulatCommands

await DaulatCommand.main()
