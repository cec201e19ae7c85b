DATASOURCE_SECRET_KEY = "corpus-datasource-secret"
SECRET_KEY = "corpus-secret"
