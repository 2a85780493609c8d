from forms.compile.library import main

main()
