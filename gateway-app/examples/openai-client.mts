// npm run example:openai (from the repository root, with `npm run gateway` running)
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.GATEWAY_URL ?? "http://localhost:8080/v1", apiKey: "unused" });
const reply = await client.chat.completions.create({ model: "mock", messages: [{ role: "user", content: "Hi" }] });
console.log(reply.choices[0].message.content);
