"""Entry point: navigation and frame of the e-services monitoring dashboard."""

import streamlit as st

st.set_page_config(page_title="E-xidmətlər monitorinqi", page_icon="📊", layout="wide")
st.title("Dövlət orqanlarının elektron xidmətlərinin monitorinqi")
st.caption("Monitoring and evaluation of the e-services of Azerbaijan's state institutions")
