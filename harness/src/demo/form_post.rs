//! Reading an HTML page the way a browser would for its forms: the
//! `form_post` response page (OAuth 2.0 Form Post Response Mode §2) is an
//! auto-submitting form whose `action` is the redirect URI and whose hidden
//! inputs carry the response. The page is untrusted input: it is parsed
//! with a real HTML parser (html5ever, through `scraper`), so entities,
//! attribute quoting and comments are read as a browser reads them.

use scraper::{ElementRef, Html, Selector};

/// A form on a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    /// The `action` attribute as written (may be relative; empty: the page itself).
    pub action: String,
    /// The `method`, lowercase (`get` when absent, as in HTML).
    pub method: String,
    /// The fields a submission sends, in document order: named `input`s
    /// other than buttons, and checkboxes / radios only when checked.
    pub fields: Vec<(String, String)>,
}

fn selector(s: &str) -> Selector {
    // The selectors are constants of this file (tested).
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e}"))
}

fn submitted(input: &ElementRef<'_>) -> Option<(String, String)> {
    let el = input.value();
    let name = el.attr("name").filter(|n| !n.is_empty())?;
    let kind = el.attr("type").unwrap_or("text").to_ascii_lowercase();
    match kind.as_str() {
        // A script's form.submit() sends no button; files are not ours.
        "submit" | "button" | "image" | "reset" | "file" => None,
        "checkbox" | "radio" if el.attr("checked").is_none() => None,
        _ => Some((
            name.to_owned(),
            el.attr("value").unwrap_or_default().to_owned(),
        )),
    }
}

/// Every form of `html`, in document order.
pub fn forms(html: &str) -> Vec<Form> {
    let doc = Html::parse_document(html);
    let form_sel = selector("form");
    let input_sel = selector("input");
    doc.select(&form_sel)
        .map(|form| Form {
            action: form.value().attr("action").unwrap_or_default().to_owned(),
            method: form
                .value()
                .attr("method")
                .unwrap_or("get")
                .to_ascii_lowercase(),
            fields: form
                .select(&input_sel)
                .filter_map(|i| submitted(&i))
                .collect(),
        })
        .collect()
}

/// The visible text of `html`, whitespace collapsed, at most `max`
/// characters (for error messages about unexpected pages).
pub fn text_summary(html: &str, max: usize) -> String {
    let doc = Html::parse_document(html);
    let body = selector("body");
    let text: Vec<&str> = match doc.select(&body).next() {
        Some(b) => b.text().collect(),
        None => doc.root_element().text().collect(),
    };
    let joined = text.join(" ");
    let mut out: String = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > max {
        out = out.chars().take(max).collect();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_provider_form_post_page_with_entities() {
        let page = r#"<!DOCTYPE html><html><head><script>document.forms[0].submit()</script></head>
<body><form method="POST" action="http://127.0.0.1:9999/cb?x=1&amp;y=2">
<input type="hidden" name="code" value="a&amp;b&quot;c">
<input type=hidden name='state' value='s&#39;1'>
<!-- <input type="hidden" name="commented" value="no"> -->
<input type="hidden" name="iss" value="http://127.0.0.1:4010">
<noscript><button type="submit">Continue</button><input type="submit" name="go" value="Go"></noscript>
</form></body></html>"#;
        let f = forms(page);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].action, "http://127.0.0.1:9999/cb?x=1&y=2");
        assert_eq!(f[0].method, "post");
        assert_eq!(
            f[0].fields,
            vec![
                ("code".into(), "a&b\"c".into()),
                ("state".into(), "s'1".into()),
                ("iss".into(), "http://127.0.0.1:4010".into()),
            ]
        );
    }

    #[test]
    fn unchecked_boxes_and_nameless_inputs_are_not_sent() {
        let page = r#"<form><input name="a" type="checkbox"><input name="b" type="checkbox" checked value="on"><input value="x"><input name="t"></form>"#;
        let f = forms(page);
        assert_eq!(f[0].method, "get");
        assert_eq!(
            f[0].fields,
            vec![("b".into(), "on".into()), ("t".into(), String::new())]
        );
    }

    #[test]
    fn summary_collapses_and_truncates() {
        let s = text_summary(
            "<html><body><h1>oops</h1>\n<pre>invalid_request:   bad</pre></body></html>",
            19,
        );
        assert_eq!(s, "oops invalid_reques…");
    }
}
