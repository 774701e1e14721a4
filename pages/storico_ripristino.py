"""Page placeholder: built in its own issue."""
import streamlit as st

from monitor.ui import L

st.title(L("In preparazione", "In preparation"))
st.write(L("Questa pagina è in preparazione.", "This page is being prepared."))
