import { createContext, useContext, type ReactNode } from 'react';
import type { ChatServices } from '../chat-services.js';

const ServicesContext = createContext<ChatServices | undefined>(undefined);

export function ServicesProvider({ services, children }: { services: ChatServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): ChatServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() must be used inside <ServicesProvider>');
  return services;
}
