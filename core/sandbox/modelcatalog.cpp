// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelcatalog.h"

#include <QCryptographicHash>

#include <nlohmann/json.hpp>

namespace brieflow::sandbox {

namespace {

using Json = nlohmann::ordered_json;

QString hexDigest(const QByteArray &seed, int length)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(seed, QCryptographicHash::Sha256).toHex().left(length));
}

Json enumSchema(const char *title, const std::vector<std::string> &values)
{
    return Json{
        {"enum", values}, {"type", "string"}, {"title", title}, {"description", "An enumeration."}};
}

Json enumProperty(const char *ref, const char *defaultValue, int order, const char *description)
{
    return Json{
        {"allOf", Json::array({Json{{"$ref", std::string("#/components/schemas/") + ref}}})},
        {"default", defaultValue},
        {"x-order", order},
        {"description", description}};
}

/** The parts of a Cog OpenAPI document clients read: Input, Output and the shared enums. */
QByteArray cogSchema(const Json &input, const Json &output, Json extraSchemas)
{
    Json schemas{{"Input", input}, {"Output", output}};
    schemas["Status"] =
        enumSchema("Status", {"starting", "processing", "succeeded", "canceled", "failed"});
    schemas["WebhookEvent"] = enumSchema("WebhookEvent", {"start", "output", "logs", "completed"});
    for (auto it = extraSchemas.begin(); it != extraSchemas.end(); ++it)
        schemas[it.key()] = it.value();
    const Json doc{{"info", Json{{"title", "Cog"}, {"version", "0.1.0"}}},
                   {"paths", Json::object()},
                   {"openapi", "3.0.2"},
                   {"components", Json{{"schemas", schemas}}}};
    return QByteArray::fromStdString(doc.dump());
}

QByteArray llamaSchema()
{
    Json props;
    props["prompt"] = {{"type", "string"},
                       {"title", "Prompt"},
                       {"default", ""},
                       {"x-order", 0},
                       {"description", "Prompt"}};
    props["system_prompt"] = {{"type", "string"},
                              {"title", "System Prompt"},
                              {"default", "You are a helpful assistant"},
                              {"x-order", 1},
                              {"description", "System prompt to send to the model. This is "
                                              "prepended to the prompt and helps guide system "
                                              "behavior. Ignored for non-chat models."}};
    props["max_tokens"] = {{"type", "integer"},
                           {"title", "Max Tokens"},
                           {"default", 512},
                           {"minimum", 1},
                           {"x-order", 2},
                           {"description", "The maximum number of tokens the model should "
                                           "generate as output."}};
    props["min_tokens"] = {{"type", "integer"},
                           {"title", "Min Tokens"},
                           {"default", 0},
                           {"minimum", 0},
                           {"x-order", 3},
                           {"description", "The minimum number of tokens the model should "
                                           "generate as output."}};
    props["temperature"] = {{"type", "number"},
                            {"title", "Temperature"},
                            {"default", 0.6},
                            {"minimum", 0},
                            {"maximum", 5},
                            {"x-order", 4},
                            {"description", "The value used to modulate the next token "
                                            "probabilities."}};
    props["top_p"] = {{"type", "number"},
                      {"title", "Top P"},
                      {"default", 0.9},
                      {"minimum", 0},
                      {"maximum", 1},
                      {"x-order", 5},
                      {"description", "A probability threshold for generating the output."}};
    props["top_k"] = {{"type", "integer"},
                      {"title", "Top K"},
                      {"default", 50},
                      {"minimum", 0},
                      {"x-order", 6},
                      {"description", "The number of highest probability tokens to consider for "
                                      "generating the output."}};
    props["presence_penalty"] = {{"type", "number"},
                                 {"title", "Presence Penalty"},
                                 {"default", 0},
                                 {"x-order", 7},
                                 {"description", "Presence penalty"}};
    props["frequency_penalty"] = {{"type", "number"},
                                  {"title", "Frequency Penalty"},
                                  {"default", 0},
                                  {"x-order", 8},
                                  {"description", "Frequency penalty"}};
    props["stop_sequences"] = {{"type", "string"},
                               {"title", "Stop Sequences"},
                               {"default", "<|end_of_text|>,<|eot_id|>"},
                               {"x-order", 9},
                               {"description", "A comma-separated list of sequences to stop "
                                               "generation at."}};
    props["prompt_template"] = {
        {"type", "string"},
        {"title", "Prompt Template"},
        {"default", "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                    "{system_prompt}<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
                    "{prompt}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"},
        {"x-order", 10},
        {"description", "A template to format the prompt with."}};
    props["log_performance_metrics"] = {{"type", "boolean"},
                                        {"title", "Log Performance Metrics"},
                                        {"default", false},
                                        {"x-order", 11}};
    const Json input{
        {"type", "object"}, {"title", "Input"}, {"required", {"prompt"}}, {"properties", props}};
    const Json output{{"type", "array"},
                      {"items", Json{{"type", "string"}}},
                      {"title", "Output"},
                      {"x-cog-array-type", "iterator"},
                      {"x-cog-array-display", "concatenate"}};
    return cogSchema(input, output, Json::object());
}

QByteArray fluxSchema()
{
    Json props;
    props["prompt"] = {{"type", "string"},
                       {"title", "Prompt"},
                       {"x-order", 0},
                       {"description", "Prompt for generated image"}};
    props["aspect_ratio"] =
        enumProperty("aspect_ratio", "1:1", 1, "Aspect ratio for the generated image");
    props["num_outputs"] = {{"type", "integer"},
                            {"title", "Num Outputs"},
                            {"default", 1},
                            {"minimum", 1},
                            {"maximum", 4},
                            {"x-order", 2},
                            {"description", "Number of outputs to generate"}};
    props["num_inference_steps"] = {{"type", "integer"},
                                    {"title", "Num Inference Steps"},
                                    {"default", 4},
                                    {"minimum", 1},
                                    {"maximum", 4},
                                    {"x-order", 3},
                                    {"description", "Number of denoising steps. 4 is recommended, "
                                                    "and lower number of steps produce lower "
                                                    "quality outputs, faster."}};
    props["seed"] = {{"type", "integer"},
                     {"title", "Seed"},
                     {"x-order", 4},
                     {"description", "Random seed. Set for reproducible generation"}};
    props["output_format"] =
        enumProperty("output_format", "webp", 5, "Format of the output images");
    props["output_quality"] = {{"type", "integer"},
                               {"title", "Output Quality"},
                               {"default", 80},
                               {"minimum", 0},
                               {"maximum", 100},
                               {"x-order", 6},
                               {"description", "Quality when saving the output images, from 0 to "
                                               "100. 100 is best quality, 0 is lowest quality. "
                                               "Not relevant for .png outputs"}};
    props["disable_safety_checker"] = {{"type", "boolean"},
                                       {"title", "Disable Safety Checker"},
                                       {"default", false},
                                       {"x-order", 7},
                                       {"description", "Disable safety checker for generated "
                                                       "images."}};
    props["go_fast"] = {{"type", "boolean"},
                        {"title", "Go Fast"},
                        {"default", true},
                        {"x-order", 8},
                        {"description", "Run faster predictions with model optimized for "
                                        "speed (currently fp8 quantized)"}};
    props["megapixels"] =
        enumProperty("megapixels", "1", 9, "Approximate number of megapixels for generated image");
    const Json input{
        {"type", "object"}, {"title", "Input"}, {"required", {"prompt"}}, {"properties", props}};
    const Json output{{"type", "array"},
                      {"items", Json{{"type", "string"}, {"format", "uri"}}},
                      {"title", "Output"}};
    Json enums;
    enums["aspect_ratio"] = enumSchema("aspect_ratio", {"1:1", "16:9", "21:9", "3:2", "2:3", "4:5",
                                                        "5:4", "3:4", "4:3", "9:16", "9:21"});
    enums["output_format"] = enumSchema("output_format", {"webp", "jpg", "png"});
    enums["megapixels"] = enumSchema("megapixels", {"1", "0.25"});
    return cogSchema(input, output, enums);
}

} // namespace

ModelCatalog::ModelCatalog()
{
    SandboxModel llama;
    llama.owner = QStringLiteral("meta");
    llama.name = QStringLiteral("meta-llama-3-8b-instruct");
    llama.kind = ModelKind::Text;
    llama.description = QStringLiteral(
        "An 8 billion parameter language model from Meta, fine tuned for chat completions "
        "(Brieflow sandbox: deterministic canned copy)");
    llama.versionId = hexDigest("brieflow-sandbox:meta/meta-llama-3-8b-instruct:1", 64);
    llama.versionCreatedAt = QStringLiteral("2024-04-17T21:44:13.482460Z");
    llama.modelEndpointVersion =
        QStringLiteral("dp-") + hexDigest("brieflow-sandbox:llama-deployment", 32);
    llama.internalName = QStringLiteral("replicate-internal/llama-3-8b-instruct-int8-triton");
    llama.openApiSchema = llamaSchema();
    llama.supportsStreaming = true;
    m_models.append(llama);

    SandboxModel flux;
    flux.owner = QStringLiteral("black-forest-labs");
    flux.name = QStringLiteral("flux-schnell");
    flux.kind = ModelKind::Image;
    flux.description = QStringLiteral(
        "The fastest image generation model tailored for local development and personal use "
        "(Brieflow sandbox: procedural images)");
    flux.versionId = hexDigest("brieflow-sandbox:black-forest-labs/flux-schnell:1", 64);
    flux.versionCreatedAt = QStringLiteral("2024-07-30T00:39:36.000418Z");
    flux.modelEndpointVersion = flux.versionId;
    flux.internalName = flux.fullName();
    flux.openApiSchema = fluxSchema();
    flux.supportsStreaming = false;
    m_models.append(flux);

    m_deployments.append({QStringLiteral("brieflow"), QStringLiteral("demo-images"), &m_models[1]});
}

QList<const SandboxModel *> ModelCatalog::models() const
{
    QList<const SandboxModel *> list;
    for (const SandboxModel &m : m_models)
        list.append(&m);
    return list;
}

const SandboxModel *ModelCatalog::model(const QString &owner, const QString &name) const
{
    for (const SandboxModel &m : m_models) {
        if (m.owner == owner && m.name == name)
            return &m;
    }
    return nullptr;
}

const SandboxModel *ModelCatalog::modelByFullName(const QString &fullName) const
{
    const qsizetype slash = fullName.indexOf(QLatin1Char('/'));
    if (slash <= 0)
        return nullptr;
    return model(fullName.left(slash), fullName.mid(slash + 1));
}

const SandboxModel *ModelCatalog::modelByVersion(const QString &versionId) const
{
    for (const SandboxModel &m : m_models) {
        if (m.versionId == versionId)
            return &m;
    }
    return nullptr;
}

const SandboxDeployment *ModelCatalog::deployment(const QString &owner, const QString &name) const
{
    for (const SandboxDeployment &d : m_deployments) {
        if (d.owner == owner && d.name == name)
            return &d;
    }
    return nullptr;
}

QByteArray ModelCatalog::versionJson(const SandboxModel &model)
{
    Json v{{"id", model.versionId.toStdString()},
           {"created_at", model.versionCreatedAt.toStdString()},
           {"cog_version", "0.9.4"},
           {"openapi_schema", Json::parse(model.openApiSchema.toStdString())}};
    return QByteArray::fromStdString(v.dump());
}

QByteArray ModelCatalog::modelJson(const SandboxModel &model, int runCount, const QString &origin)
{
    Json m{{"url", QString(origin + QLatin1Char('/') + model.fullName()).toStdString()},
           {"owner", model.owner.toStdString()},
           {"name", model.name.toStdString()},
           {"description", model.description.toStdString()},
           {"visibility", "public"},
           {"github_url", nullptr},
           {"paper_url", nullptr},
           {"license_url", nullptr},
           {"run_count", runCount},
           {"cover_image_url", nullptr},
           {"default_example", nullptr},
           {"latest_version", Json::parse(versionJson(model).toStdString())},
           {"is_official", true}};
    return QByteArray::fromStdString(m.dump());
}

QByteArray ModelCatalog::deploymentJson(const SandboxDeployment &deployment)
{
    const Json owner{{"type", "organization"},
                     {"username", deployment.owner.toStdString()},
                     {"name", "Brieflow Sandbox"},
                     {"github_url", nullptr}};
    const Json release{
        {"number", 1},
        {"model", deployment.model->fullName().toStdString()},
        {"version", deployment.model->versionId.toStdString()},
        {"created_at", "2024-08-01T12:00:00.000000Z"},
        {"created_by", owner},
        {"configuration",
         Json{{"hardware", "gpu-h100"}, {"min_instances", 0}, {"max_instances", 1}}}};
    const Json d{{"owner", deployment.owner.toStdString()},
                 {"name", deployment.name.toStdString()},
                 {"current_release", release}};
    return QByteArray::fromStdString(d.dump());
}

} // namespace brieflow::sandbox
