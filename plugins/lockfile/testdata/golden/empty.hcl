# This file is maintained by "bp init". Commit it with your blueprints.
