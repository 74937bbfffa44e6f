import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { Provider } from "urql";
import { App } from "./App";
import { makeClient } from "./client";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");

createRoot(root).render(
  <StrictMode>
    <Provider value={makeClient()}>
      <BrowserRouter basename="/ui">
        <App />
      </BrowserRouter>
    </Provider>
  </StrictMode>,
);
