import "../shared/styles.css"
