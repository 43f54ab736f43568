import sys

from moncompte.bench.runner import main

sys.exit(main())
