// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/brief/briefjson.h"
#include "core/util/canonicaljson.h"
#include "core/workflow/steptemplate.h"

using namespace brieflow;

namespace {

Brief sampleBrief()
{
    Brief brief;
    brief.productName = QStringLiteral("TrailLite 2");
    brief.audience = QStringLiteral("Trail runners");
    brief.valueProposition = QStringLiteral("Light and grippy.");
    brief.tone = QStringLiteral("Energetic");
    brief.image.aspectRatio = QStringLiteral("16:9");
    brief.image.count = 2;
    brief.image.outputFormat = QStringLiteral("webp");
    return brief;
}

StepDefinition stepWith(const QByteArray &inputTemplate)
{
    StepDefinition step;
    step.name = QStringLiteral("image_prompt");
    step.title = QStringLiteral("Image prompt");
    step.inputTemplate = inputTemplate;
    return step;
}

TemplateContext contextFor(const Brief &brief, const QHash<QString, QString> &outputs = {})
{
    return TemplateContext{briefToJson(brief), outputs};
}

// Renders {"prompt": <text>} and returns the rendered prompt string.
QString renderPrompt(const QString &text, const TemplateContext &context)
{
    const QByteArray input =
        QJsonDocument(QJsonObject{{QStringLiteral("prompt"), text}}).toJson(QJsonDocument::Compact);
    const auto rendered = renderStepInput(stepWith(input), context);
    if (!rendered.ok())
        return QStringLiteral("ERROR: ") + rendered.error();
    return QJsonDocument::fromJson(*rendered).object().value(QStringLiteral("prompt")).toString();
}

QByteArray canonical(const QByteArray &json)
{
    return canonicalJson(json).value_or(QByteArray("invalid"));
}

} // namespace

class TestWorkflowTemplate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void typedSinglePlaceholders();
    void textPlaceholders_data();
    void textPlaceholders();
    void sections_data();
    void sections();
    void missingValuesAreErrors_data();
    void missingValuesAreErrors();
    void unicodeKeptIntact();
    void jsonSpecialCharactersAreSafe();
    void valuesAreNotExpandedAgain();
    void nonStringValuesAndNesting();
    void badInputs();
};

void TestWorkflowTemplate::typedSinglePlaceholders()
{
    const StepDefinition step = stepWith(
        R"({"prompt":"{{steps.image_prompt_source.output}}","num_outputs":"{{brief.image.count}}",)"
        R"("aspect_ratio":"{{ brief.image.aspect_ratio }}","output_format":"{{brief.image.output_format}}",)"
        R"("output_quality":90})");
    const auto rendered = renderStepInput(
        step, contextFor(sampleBrief(), {{QStringLiteral("image_prompt_source"),
                                          QStringLiteral("A runner on wet rock at dawn.")}}));
    QVERIFY2(rendered.ok(), qPrintable(rendered.ok() ? QString() : rendered.error()));
    // Canonical: sorted keys, compact; the count is a JSON number.
    QCOMPARE(*rendered,
             QByteArray(R"({"aspect_ratio":"16:9","num_outputs":2,"output_format":"webp",)"
                        R"("output_quality":90,"prompt":"A runner on wet rock at dawn."})"));
}

void TestWorkflowTemplate::textPlaceholders_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain text") << QStringLiteral("No placeholders {here}.")
                                << QStringLiteral("No placeholders {here}.");
    QTest::newRow("one value") << QStringLiteral("Product: {{brief.product_name}}.")
                               << QStringLiteral("Product: TrailLite 2.");
    QTest::newRow("number inside text")
        << QStringLiteral("Make {{brief.image.count}} images") << QStringLiteral("Make 2 images");
    QTest::newRow("spaces in braces")
        << QStringLiteral("{{  brief.audience }}!") << QStringLiteral("Trail runners!");
    QTest::newRow("step output") << QStringLiteral("Concept:\n{{steps.concept.output}}\nEnd")
                                 << QStringLiteral("Concept:\nRun anywhere.\nEnd");
    QTest::newRow("adjacent") << QStringLiteral(
        "{{brief.product_name}}{{brief.image.aspect_ratio}}")
                              << QStringLiteral("TrailLite 216:9");
    QTest::newRow("single braces kept")
        << QStringLiteral("{ {brief.tone} }") << QStringLiteral("{ {brief.tone} }");
}

void TestWorkflowTemplate::textPlaceholders()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const TemplateContext context =
        contextFor(sampleBrief(), {{QStringLiteral("concept"), QStringLiteral("Run anywhere.")}});
    QCOMPARE(renderPrompt(text, context), expected);
}

void TestWorkflowTemplate::sections_data()
{
    QTest::addColumn<QString>("tone");
    QTest::addColumn<QString>("brandNotes");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    const QString toneSection =
        QStringLiteral("A{{#brief.tone}}\nTone: {{brief.tone}}{{/brief.tone}}.");
    QTest::newRow("present") << QStringLiteral("calm") << QString() << toneSection
                             << QStringLiteral("A\nTone: calm.");
    QTest::newRow("empty") << QString() << QString() << toneSection << QStringLiteral("A.");
    QTest::newRow("only whitespace")
        << QStringLiteral(" \n ") << QString() << toneSection << QStringLiteral("A.");
    const QString inverted =
        QStringLiteral("{{^brief.tone}}Pick a tone.{{/brief.tone}}{{#brief.tone}}Tone: "
                       "{{brief.tone}}{{/brief.tone}}");
    QTest::newRow("inverted, absent")
        << QString() << QString() << inverted << QStringLiteral("Pick a tone.");
    QTest::newRow("inverted, present")
        << QStringLiteral("calm") << QString() << inverted << QStringLiteral("Tone: calm");
    const QString nested = QStringLiteral("[{{#brief.tone}}T={{brief.tone}}{{#brief.brand_notes}};"
                                          "N={{brief.brand_notes}}{{/brief.brand_notes}}"
                                          "{{/brief.tone}}]");
    QTest::newRow("nested, both") << QStringLiteral("calm") << QStringLiteral("green") << nested
                                  << QStringLiteral("[T=calm;N=green]");
    QTest::newRow("nested, inner absent")
        << QStringLiteral("calm") << QString() << nested << QStringLiteral("[T=calm]");
    // The outer section hides the inner one, even though its value is there.
    QTest::newRow("nested, outer absent")
        << QString() << QStringLiteral("green") << nested << QStringLiteral("[]");
    QTest::newRow("number section")
        << QString() << QString()
        << QStringLiteral("{{#brief.image.count}}n={{brief.image.count}}"
                          "{{/brief.image.count}}")
        << QStringLiteral("n=2");
    QTest::newRow("step output section") << QString() << QString()
                                         << QStringLiteral("{{#steps.concept.output}}has concept"
                                                           "{{/steps.concept.output}}")
                                         << QStringLiteral("has concept");
    QTest::newRow("missing step section") << QString() << QString()
                                          << QStringLiteral("{{#steps.other.output}}x"
                                                            "{{/steps.other.output}}-")
                                          << QStringLiteral("-");
}

void TestWorkflowTemplate::sections()
{
    QFETCH(QString, tone);
    QFETCH(QString, brandNotes);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    Brief brief = sampleBrief();
    brief.tone = tone;
    brief.brandNotes = brandNotes;
    QCOMPARE(renderPrompt(text, contextFor(brief, {{QStringLiteral("concept"),
                                                    QStringLiteral("Run anywhere.")}})),
             expected);
}

void TestWorkflowTemplate::missingValuesAreErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("fragment");
    // The brief has no tone; no step has run.
    QTest::newRow("empty brief field") << QStringLiteral("Tone: {{brief.tone}}")
                                       << QStringLiteral("“{{brief.tone}}” in input.prompt has no "
                                                         "value: the brief leaves it empty.");
    QTest::newRow("empty brief field alone")
        << QStringLiteral("{{brief.tone}}") << QStringLiteral("the brief leaves it empty");
    QTest::newRow("step output") << QStringLiteral("From {{steps.concept.output}}")
                                 << QStringLiteral("“{{steps.concept.output}}” in input.prompt has "
                                                   "no value: step “concept” has no output yet.");
    QTest::newRow("step output alone") << QStringLiteral("{{steps.concept.output}}")
                                       << QStringLiteral("step “concept” has no output yet");
    QTest::newRow("inside a rendered section")
        << QStringLiteral("{{#brief.product_name}}{{brief.brand_notes}}{{/brief.product_name}}")
        << QStringLiteral("{{brief.brand_notes}}");
    QTest::newRow("unknown field")
        << QStringLiteral("{{brief.colour}}") << QStringLiteral("{{brief.colour}}");
}

void TestWorkflowTemplate::missingValuesAreErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, fragment);
    Brief brief = sampleBrief();
    brief.tone.clear();
    const QString result = renderPrompt(text, contextFor(brief));
    QVERIFY2(result.startsWith(QStringLiteral("ERROR: ")), qPrintable(result));
    QVERIFY2(result.contains(fragment), qPrintable(result));

    // Inside a section that is not rendered, a missing value is fine.
    const QString hidden =
        QStringLiteral("{{#brief.tone}}") + text + QStringLiteral("{{/brief.tone}}ok");
    QCOMPARE(renderPrompt(hidden, contextFor(brief)), QStringLiteral("ok"));
}

void TestWorkflowTemplate::unicodeKeptIntact()
{
    Brief brief = sampleBrief();
    brief.productName = QStringLiteral("Café Ñandú 🐦");
    brief.tone = QStringLiteral("Cálido, juguetón — 温かい");
    const QString rendered = renderPrompt(
        QStringLiteral("«{{brief.product_name}}» {{#brief.tone}}({{brief.tone}}){{/brief.tone}} ✓"),
        contextFor(brief));
    QCOMPARE(rendered, QStringLiteral("«Café Ñandú 🐦» (Cálido, juguetón — 温かい) ✓"));

    // The canonical bytes carry UTF-8 as is, not \u escapes.
    const auto raw =
        renderStepInput(stepWith(R"({"p":"{{brief.product_name}}"})"), contextFor(brief));
    QVERIFY(raw.ok());
    QCOMPARE(*raw, QStringLiteral("{\"p\":\"Café Ñandú 🐦\"}").toUtf8());
}

void TestWorkflowTemplate::jsonSpecialCharactersAreSafe()
{
    Brief brief = sampleBrief();
    brief.brandNotes =
        QStringLiteral("Write \"TrailLite\" as one word.\nUse C:\\paths\\ and\ttabs; "
                       "never </script> or \\u0000 or ', \"}, {\"x\": 1}");
    const QString text = QStringLiteral("Notes: {{#brief.brand_notes}}{{brief.brand_notes}}"
                                        "{{/brief.brand_notes}}");
    const StepDefinition step =
        stepWith(QJsonDocument(QJsonObject{{QStringLiteral("prompt"), text}})
                     .toJson(QJsonDocument::Compact));
    const auto rendered = renderStepInput(step, contextFor(brief));
    QVERIFY(rendered.ok());
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*rendered, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(document.object().keys(), QStringList{QStringLiteral("prompt")});
    QCOMPARE(document.object().value(QStringLiteral("prompt")).toString(),
             QStringLiteral("Notes: ") + brief.brandNotes);
    QCOMPARE(*rendered, canonical(*rendered));

    // A step output with JSON in it is still just text.
    const QString output = QStringLiteral("{\"prompt\": \"x\"}\n\"quoted\" \\ end");
    QCOMPARE(renderPrompt(QStringLiteral("{{steps.concept.output}}"),
                          contextFor(brief, {{QStringLiteral("concept"), output}})),
             output);
}

void TestWorkflowTemplate::valuesAreNotExpandedAgain()
{
    Brief brief = sampleBrief();
    brief.audience = QStringLiteral("People who type {{brief.product_name}} and {{#x}}");
    QCOMPARE(renderPrompt(QStringLiteral("A: {{brief.audience}}"), contextFor(brief)),
             QStringLiteral("A: People who type {{brief.product_name}} and {{#x}}"));
}

void TestWorkflowTemplate::nonStringValuesAndNesting()
{
    const StepDefinition step = stepWith(
        R"({"z":{"list":["{{brief.product_name}}",3,true,null,{"deep":"{{brief.image.count}}"}]},)"
        R"("temperature":0.7,"max_tokens":400,"flag":false,"a":"x"})");
    const auto rendered = renderStepInput(step, contextFor(sampleBrief()));
    QVERIFY2(rendered.ok(), qPrintable(rendered.ok() ? QString() : rendered.error()));
    QCOMPARE(*rendered, canonical(R"({"a":"x","flag":false,"max_tokens":400,"temperature":0.7,)"
                                  R"("z":{"list":["TrailLite 2",3,true,null,{"deep":2}]}})"));
}

void TestWorkflowTemplate::badInputs()
{
    const StepDefinition step = stepWith(R"({"prompt":"{{brief.product_name}}"})");
    QVERIFY(!renderStepInput(step, TemplateContext{QByteArray("not json"), {}}).ok());
    QVERIFY(!renderStepInput(step, TemplateContext{QByteArray("[1]"), {}}).ok());

    StepDefinition store;
    store.name = QStringLiteral("store");
    store.kind = StepKind::Store;
    const auto noTemplate = renderStepInput(store, contextFor(sampleBrief()));
    QVERIFY(!noTemplate.ok());
    QVERIFY(noTemplate.error().contains(QStringLiteral("store")));

    // A broken template (parseWorkflow would have refused it) is an error too, with its place.
    const auto broken =
        renderStepInput(stepWith(R"({"x":{"y":"{{#brief.tone}}"}})"), contextFor(sampleBrief()));
    QVERIFY(!broken.ok());
    QVERIFY2(broken.error().startsWith(QStringLiteral("input.x.y: ")), qPrintable(broken.error()));
}

QTEST_GUILESS_MAIN(TestWorkflowTemplate)
#include "tst_workflowtemplate.moc"
